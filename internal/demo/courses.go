package demo

import "github.com/maeul/maeul/internal/learn"

// courses: the June courses named in the programme's announcement first,
// then the rest of a plausible catalogue across the five themes.
func courses() []learn.Course {
	c := func(code, theme, level, ko, en, sko, sen string) learn.Course {
		return learn.Course{Code: code, Theme: theme, Level: level, TitleKo: ko, TitleEn: en, SummaryKo: sko, SummaryEn: sen, SessionsToComplete: 1, Demo: true}
	}
	list := []learn.Course{
		c("DONGBAEK", "everyday", "beginner", "동백전 앱 활용하기", "Using the Dongbaekjeon app",
			"부산 지역화폐 동백전 앱을 설치하고 충전·결제·캐시백을 직접 해 봅니다.", "Install Busan's local-currency app and practise top-up, payment and cashback."),
		c("GENAI-START", "ai", "beginner", "생성형 AI 시작하기", "Getting started with generative AI",
			"챗봇에게 묻고 답을 확인하는 법, 개인정보를 지키는 법을 배웁니다.", "Ask a chatbot, check its answers and keep your personal data safe."),
		c("VOICE-PHISHING", "fraud", "beginner", "보이스피싱 예방하기", "Preventing voice-phishing scams",
			"실제 사례로 사기 전화와 문자를 알아보고 대처법을 연습합니다.", "Recognise scam calls and texts from real cases and practise what to do."),
		c("KIOSK", "everyday", "beginner", "생활 속 키오스크 사용하기", "Using everyday kiosks",
			"음식점·병원·기차역 무인주문기를 천천히 연습합니다. 천천히 하셔도 괜찮습니다.", "Practise ordering machines at restaurants, hospitals and stations, at your own pace."),
		c("AI-ETHICS", "ai", "intermediate", "모두가 알아야 할 생성형 AI와 윤리", "Generative AI and ethics everyone should know",
			"정보문화의 달 특별강연: AI가 만든 글과 그림을 어떻게 믿고 써야 할까요?", "Information Culture Month lecture: how far to trust and use what AI makes."),
		c("MOBILE-ID", "digital_id", "beginner", "모바일 신분증 발급과 사용", "Getting and using a mobile ID",
			"주민센터에서 모바일 주민등록증을 발급받고 병원·관공서에서 쓰는 법.", "Get a mobile resident card at the community centre and use it at hospitals and offices."),
		c("GOV24", "digital_id", "beginner", "정부24로 증명서 떼기", "Certificates online with Gov24",
			"집에서 주민등록등본 등 증명서를 발급받습니다.", "Issue resident certificates from home."),
		c("HEALTH-RECORD", "digital_id", "beginner", "나의건강기록 앱", "The My Health Record app",
			"진료·투약 기록을 스스로 확인하고 관리합니다.", "Check and manage your own treatment and medication records."),
		c("WELFARE-ALERT", "digital_id", "intermediate", "복지위기 알림 앱 (돌봄 종사자)", "Welfare risk alert app (for care workers)",
			"방문 돌봄 중 위기 가구를 바로 알리는 방법.", "Report households at risk straight from a home visit."),
		c("SMARTPHONE-101", "everyday", "beginner", "스마트폰 첫걸음", "First steps with a smartphone",
			"전화·문자·사진·글씨 크게 하기부터 차근차근.", "Calls, texts, photos and larger text, step by step."),
		c("VIDEO-CALL", "everyday", "beginner", "가족과 영상통화하기", "Video calls with family",
			"카카오톡으로 가족 얼굴을 보며 통화하고, 화면을 키우고 소리를 맞추는 법을 익힙니다.", "See your family while you talk: start a video call, make the picture bigger and set the sound."),
		c("TRAIN-TICKET", "everyday", "intermediate", "기차표·버스표 앱으로 예매하기", "Booking train and bus tickets in an app",
			"기차와 고속버스 표를 앱으로 사고, 바꾸고, 취소해 봅니다. 경로 할인도 알아봅니다.", "Buy, change and cancel train and express-bus tickets in an app, with senior discounts."),
		c("MOBILE-BANK", "fraud", "intermediate", "안전한 모바일 뱅킹", "Safe mobile banking",
			"송금 전 확인할 것, 사기 계좌 조회, 지연이체 설정.", "What to check before sending money, and how to delay transfers."),
		c("SMISHING", "fraud", "beginner", "문자 사기(스미싱) 알아보기", "Spotting text-message scams",
			"택배·청첩장·부고를 흉내 낸 가짜 문자를 알아보고, 누르지 않고 지우는 법을 익힙니다.", "Recognise fake texts about parcels, weddings or funerals, and delete them without tapping."),
		c("CHATBOT-DAILY", "ai", "intermediate", "AI와 함께하는 하루 (일정·번역·요약)", "A day with AI: plans, translation, summaries",
			"AI에게 일정 정리, 외국어 번역, 긴 글 요약을 부탁하고 답을 확인해 봅니다.", "Ask AI to plan your day, translate a message and sum up a long text, then check its answers."),
		c("AI-PHOTO", "ai", "beginner", "AI로 사진 정리하고 꾸미기", "Sorting and editing photos with AI",
			"휴대전화 사진을 사람·장소별로 찾고, 밝기를 고치고, 가족과 나눕니다.", "Find your phone's photos by person or place, fix the light and share them with family."),
		c("YOUTUBE", "content", "intermediate", "내 이야기 영상으로 만들기", "Making a video of your story",
			"휴대전화로 짧은 영상을 찍고 자막과 음악을 넣어 가족과 나눕니다.", "Film a short video on your phone, add captions and music, and share it with family."),
		c("BLOG-NEWS", "content", "beginner", "블로그로 우리 동네 소식 전하기", "Sharing neighbourhood news on a blog",
			"블로그를 만들고 사진과 글로 우리 동네 소식을 올려 봅니다.", "Start a blog and post your neighbourhood's news with photos and a few lines."),
		c("ONLINE-VOICE", "content", "beginner", "온라인 시민참여 (의견 내기·설문)", "Taking part online: comments and surveys",
			"구청과 시청 누리집에서 의견을 내고 설문에 답하는 법을 배웁니다.", "Give your view and answer surveys on the district and city websites."),
		c("KAKAO-SAFE", "fraud", "beginner", "메신저 안전하게 쓰기", "Using messengers safely",
			"메신저에서 가족을 사칭하는 메시지를 알아보고, 돈을 보내기 전에 전화로 확인합니다.", "Spot messages from people pretending to be family, and call before you send any money."),
	}
	list[4].SessionsToComplete = 1
	list[9].SessionsToComplete = 2
	return list
}
